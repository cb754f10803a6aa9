from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "sandbox"
    verbose_name = "Provider sandbox"

    def ready(self):
        # A typo in SANDBOX_FAULTS should stop the process at start, not surface on the
        # first provider call of a benchmark.
        from sandbox.faults import configured_faults

        configured_faults()
