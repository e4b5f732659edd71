"""The batch runners that drive the store: :mod:`eventledger.runner.run` reads inputs,
extracts them (here or on Dask workers, :mod:`eventledger.runner.dask_run`) and writes the
ledger in input order. The policy they apply (copies, grouping, figure comparison) is pure
code in :mod:`eventledger.ledger`, which never imports the store or a runner."""
