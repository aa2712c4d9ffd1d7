// Tests for AppWebsocket; they arrive with the module's issue.
