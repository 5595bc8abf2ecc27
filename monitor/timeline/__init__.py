"""The domain of one council's timeline: pure policy over typed records, no SQL, no I/O."""
