"""Facts from published sources as data files, each row citing document and line."""
