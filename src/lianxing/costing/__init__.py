"""Costing: what follows from product specs, inbound batches and the fee and duty
schedules — fee estimates for unsettled orders, landed cost per batch (COGS by FIFO or
average), the FBA fee audit and reimbursement claims, and what-if unit economics.

`derive` keeps the derived tables current; `audit` compares what platforms charged with
what the schedules expect; `whatif` prices a SKU or a store under a scenario.
"""
