"""Safeguard: protective-order case work for police forces in England and Wales."""
