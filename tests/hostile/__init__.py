"""A hostile corpus: files built at test time to break the readers, with their expected outcomes."""
