"""Numbers in answers: facts matched to a figure question, derivations (share, difference,
sum, average, prior year), and the verified/derived/mismatch/unverified check."""
