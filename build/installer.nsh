; Custom steps for the NSIS installer (electron-builder.yml: nsis.include).

; Uninstall removes the launch-at-login entry. The app registers it with Electron's
; setLoginItemSettings, which names the value after the AppUserModelId (the app id, ${APP_ID});
; Windows' Startup apps page keeps its on/off switch under StartupApproved. An update runs the old
; uninstaller with --updated: the user's choice to launch at login must survive it.
; The data folder (%USERPROFILE%\.icloud_photo_sync: sessions, trackers, logs, config.json) and the
; app's own settings are never touched, so a reinstall picks up where the user left off.
!macro customUnInstall
  ${ifNot} ${isUpdated}
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "${APP_ID}"
    DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run" "${APP_ID}"
  ${endIf}
!macroend
