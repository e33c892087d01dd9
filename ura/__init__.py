"""Ura: case management for multi-agency referral mechanisms."""
