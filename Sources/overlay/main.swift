import OverlayCLI

await OverlayMain.run()
