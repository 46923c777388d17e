import { mount } from 'svelte';
import App from './App.svelte';
import { appUpdate } from './app-update.svelte.ts';

appUpdate.start();

mount(App, { target: document.getElementById('app')! });
