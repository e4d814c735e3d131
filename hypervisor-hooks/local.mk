# hypervisor-hooks: ABI header, userspace harness for the pool logic
