"""The registry back office: an organization's page and everything on it, committees, people,
and the Excel exports. Reads are open to the orgs module's roles; writes to the registry
editors, and each write is checked again by its service."""
