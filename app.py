"""Run the web chat: `python app.py` (same as `reportbot serve`)."""

from reportbot.cli.main import main

if __name__ == "__main__":
    main(["serve"])
