"""The conversation with a client: an inbound text stored, understood, acted on, answered."""
