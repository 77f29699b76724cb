"""The eval suite: cases, the numbers an answer states, metrics and the baseline gate,
reports, and CMRC 2018 retrieval and span metrics."""
