"""The se_gateway integration."""
