"""Where articles come from: files, HTML pages, JSONL dumps, directories, URLs and feeds."""
