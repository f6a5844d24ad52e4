# Voila configuration for the PARTAGES demos (loaded through --Voila.config_file_paths; see portal/voila_app.py).
from partages_core.portal.voila_app import CULL_IDLE_S, CULL_INTERVAL_S, DENIED_EXTENSIONS, prelaunch

c = get_config()  # noqa: F821  (traitlets config files get it injected)
c.VoilaConfiguration.prelaunch_hook = prelaunch
c.VoilaConfiguration.extension_denylist = DENIED_EXTENSIONS
c.VoilaConfiguration.show_tracebacks = False
c.MappingKernelManager.cull_idle_timeout = CULL_IDLE_S
c.MappingKernelManager.cull_interval = CULL_INTERVAL_S
c.MappingKernelManager.cull_connected = False
c.MappingKernelManager.cull_busy = False
