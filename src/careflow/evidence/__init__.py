"""The evidence area of careflow."""
