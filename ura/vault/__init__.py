"""Encryption at rest: the keyring (keyring.py), AES-GCM sealing and HMAC blind indexes (crypto.py),
sealed model fields (fields.py), and what ``ura keys`` does (rotation.py). See README, Keys."""
