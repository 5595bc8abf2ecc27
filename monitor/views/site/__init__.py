"""The read-only web view (`monitor serve`): an ASGI app over store reads."""
