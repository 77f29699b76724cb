"""The command line: one click group, shared options and one error-to-message decorator;
sub-commands in their own modules."""
