"""End-to-end tests of the General, ZigBee and ZCL services."""
