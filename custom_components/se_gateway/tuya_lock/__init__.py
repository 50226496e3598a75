"""tuya_lock."""
