// Tests for ConnectorService; they arrive with the module's issue.
