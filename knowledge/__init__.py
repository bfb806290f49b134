"""Knowledge base: Vietnamese normalisation, intent matching, the FAQ and procedure store."""
