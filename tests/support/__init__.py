"""Test support: live servers, databases and audio measurements."""
