// Tests for Busylight; they arrive with the module's issue.
