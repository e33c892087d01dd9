"""Views are thin: policy, service or selector, render."""
