"""The AWS-compatible endpoint (/aws/): SigV4, AWS's JSON protocols, the sims' services."""
