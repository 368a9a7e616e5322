"""Landed cost: what one unit of an inbound batch really cost once it reached the US.

`duties` holds the dated duty and entry-fee tables (the duty book) and computes the duties
of an entry line; `batches` reads a batch file and computes the landed cost per unit of
every batch line, with the evidence of each duty; `messages` holds their user-facing text.
See docs/landed-cost.md.
"""
