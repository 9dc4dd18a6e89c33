"""Product images: the object store, object keys, decoding and thumbnails."""
