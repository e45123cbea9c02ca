"""The Amazon SQS simulator page."""
