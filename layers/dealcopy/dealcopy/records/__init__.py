"""What storage persists and queues carry: job records and messages, repeats, delayed copies.

The bottom of the job and schedule packages: storage reads and writes these, `jobs` and
`schedules` act on them, and nothing here imports either (so the packages form no cycle).
"""
