"""DynamoDB adapters. The only package (with wiring) that talks to boto3."""
