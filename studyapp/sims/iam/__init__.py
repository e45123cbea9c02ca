"""The IAM policy evaluation simulator page."""
