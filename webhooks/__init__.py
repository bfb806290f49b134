"""Channel adapters: each verifies, parses platform payloads into channel-neutral messages and renders replies."""
