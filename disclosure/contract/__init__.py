"""The data contract in code: metric codes, cell names, values, issue records, agency names and kinds, the
arithmetic rules. Imports nothing of the app but config (docs/data-contract.md)."""
