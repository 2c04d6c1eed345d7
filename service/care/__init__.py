"""The care team's view: alert rules and acknowledgement, summaries and trends, FHIR export."""
