console_patterns = []
portal_patterns = []
