"""The Kinesis Data Streams simulator page."""
