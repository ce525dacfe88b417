"""The suggestions app's server-rendered pages: console (staff and units), portal (deputies), public."""
