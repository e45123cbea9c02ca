"""The Amazon DynamoDB simulator page."""
