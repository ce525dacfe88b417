"""factory_boy factories, one module per app. The demo seed is built on these too."""
