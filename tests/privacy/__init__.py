"""Nothing private reaches the public: a crawl of the demo and suppression in every format."""
