"""flowmap: where personal data goes, and on which legal basis. Not legal advice."""

__version__ = "0.1.0"

NOT_LEGAL_ADVICE = "flowmap output is an aid for privacy professionals, not legal advice."
