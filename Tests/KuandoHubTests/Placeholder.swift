// Tests for KuandoHub; they arrive with the module's issue.
