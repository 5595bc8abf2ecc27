"""Presentation: text, tables and pages built from store reads (history, digest, ratings).

The one write here is ``digest.send_digests``, which queues digest messages rendered from
those reads; everything else only reads.
"""
