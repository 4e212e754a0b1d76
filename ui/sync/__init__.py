"""A session's state and its sync with the workspace store: keys, the session's workspace, saved workspaces, who is acting."""
