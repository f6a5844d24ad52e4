"""Readers and writers: PARHAF (JSON + txt), Hugging Face datasets, BRAT standoff, UIMA CAS."""
