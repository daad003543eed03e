"""UK Parliament petitions: the API client, the document model and the snapshot store."""
