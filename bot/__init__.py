"""The conversation engine: channel-neutral messages in, channel-neutral replies out."""
