"""A project's files read and validated into a `Project`: the model, claims.yaml, content pages,
the editor schema, the checks re-run over the claims, and edits that add a claim."""
