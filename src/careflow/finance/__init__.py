"""The finance area of careflow."""
